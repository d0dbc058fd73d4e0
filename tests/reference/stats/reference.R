#!/usr/bin/env Rscript
# Reference values for jdmtrack.stats, computed with R and its packages.
#
#   Rscript tests/reference/stats/reference.R        (from the repository root)
#
# Reads every CSV in data/ next to this script and writes expected.csv (dataset, key, value;
# values printed with %.17g, NA where R gives no value) and versions.txt. The pytest tests
# read expected.csv only: CI has no R. See README.md in this folder.

suppressPackageStartupMessages({
  library(coin)
  library(survival)
  library(lme4)
})
# Optional second opinion on the exact Wilcoxon p-value (Debian: r-cran-exactranktests).
have_ert <- requireNamespace("exactRankTests", quietly = TRUE)

args <- commandArgs(trailingOnly = FALSE)
script <- normalizePath(sub("^--file=", "", args[grep("^--file=", args)]))
here <- dirname(script)
data_dir <- file.path(here, "data")

set.seed(20240607)  # coin's Monte Carlo (approximate) p-values
PROBS <- c(0, 0.1, 0.25, 1 / 3, 0.5, 0.75, 0.9, 1)
out <- character(0)

emit <- function(dataset, key, value) {
  value <- as.numeric(value)
  if (length(value) == 0) value <- NA_real_
  if (length(value) == 1) {
    text <- if (is.na(value) || !is.finite(value)) "NA" else sprintf("%.17g", value)
    out <<- c(out, paste(dataset, key, text, sep = ","))
  } else {
    for (i in seq_along(value)) emit(dataset, paste0(key, ".", i), value[i])
  }
}

safe <- function(expr) tryCatch(suppressWarnings(expr), error = function(e) NA_real_)

emit_quantiles <- function(dataset, prefix, x) {
  if (length(x) == 0) return(invisible())
  for (type in 1:9) {
    emit(dataset, sprintf("%s.q.type%d", prefix, type), quantile(x, PROBS, type = type, names = FALSE))
  }
  emit(dataset, paste0(prefix, ".n"), length(x))
  emit(dataset, paste0(prefix, ".median"), median(x))
  emit(dataset, paste0(prefix, ".mean"), mean(x))
  emit(dataset, paste0(prefix, ".sd"), if (length(x) > 1) sd(x) else NA)
  # the doubles R parsed, so that the tests can check Python read the same ones
  frac <- x[x != round(x)]
  if (length(frac)) emit(dataset, paste0(prefix, ".parsed_fractional"), frac)
}

# ---- Hodges-Lehmann: R wilcox.test's exact branch, applied to all differences ---------------
hl_exact <- function(d, conf.level = 0.95) {
  n <- length(d)
  alpha <- 1 - conf.level
  w <- outer(d, d, "+")
  w <- sort(w[!lower.tri(w)]) / 2
  qu <- qsignrank(alpha / 2, n)
  if (qu == 0) qu <- 1
  ql <- n * (n + 1) / 2 - qu
  c(median(w), w[qu], w[ql + 1], 1 - 2 * psignrank(trunc(qu) - 1, n))
}

# ---- Friedman permutation distribution: independent implementations -------------------------
all_perms <- function(k) {
  if (k == 1) return(matrix(1L, 1, 1))
  p <- all_perms(k - 1)
  do.call(rbind, lapply(seq_len(k), function(i) cbind(i, ifelse(p >= i, p + 1L, p))))
}

# Exact P(sum of squared column rank sums >= observed), by a map of column-sum vectors.
friedman_exact_map <- function(Y, max_rows = 4e6) {
  R2 <- t(apply(Y, 1, rank)) * 2
  n <- nrow(R2); k <- ncol(R2)
  s_obs <- sum(colSums(R2)^2)
  P <- all_perms(k)
  base <- 2 * k * n + 1
  states <- matrix(0, 1, k)
  prob <- 1
  for (b in seq_len(n)) {
    block <- matrix(R2[b, P], ncol = k)
    if (nrow(states) * nrow(block) > max_rows) return(NA_real_)
    new <- states[rep(seq_len(nrow(states)), each = nrow(block)), , drop = FALSE] +
      block[rep(seq_len(nrow(block)), times = nrow(states)), , drop = FALSE]
    newp <- rep(prob, each = nrow(block)) / nrow(block)
    key <- drop(new %*% base^(0:(k - 1)))
    agg <- rowsum(newp, key, reorder = FALSE)
    first <- match(as.numeric(rownames(agg)), key)
    states <- new[first, , drop = FALSE]
    prob <- drop(agg)
  }
  sum(prob[rowSums(states^2) >= s_obs])
}

# Exact by brute-force enumeration of all (k!)^n arrangements (small tables only).
friedman_exact_brute <- function(Y) {
  R2 <- t(apply(Y, 1, rank)) * 2
  n <- nrow(R2); k <- ncol(R2)
  P <- all_perms(k)
  grid <- as.matrix(expand.grid(rep(list(seq_len(nrow(P))), n)))
  sums <- matrix(0, nrow(grid), k)
  for (b in seq_len(n)) sums <- sums + matrix(R2[b, P[grid[, b], ]], ncol = k)
  mean(rowSums(sums^2) >= sum(colSums(R2)^2))
}

# ---- Skillings-Mack (1981), written from the paper -------------------------------------------
skillings_mack <- function(Y) {
  Y <- Y[rowSums(!is.na(Y)) >= 2, , drop = FALSE]
  k <- ncol(Y)
  ki <- rowSums(!is.na(Y))
  R <- t(apply(Y, 1, function(r) rank(r, na.last = "keep")))
  A <- sapply(seq_len(k), function(j)
    sum(ifelse(is.na(R[, j]), 0, sqrt(12 / (ki + 1)) * (R[, j] - (ki + 1) / 2))))
  O <- (!is.na(Y)) * 1
  L <- t(O) %*% O
  diag(L) <- 0
  S <- -L
  diag(S) <- rowSums(L)
  c(n = nrow(Y), statistic = drop(t(A[-k]) %*% solve(S[-k, -k], A[-k])))
}

# ---- paired data sets --------------------------------------------------------------------------
for (f in sort(list.files(data_dir, "^paired_.*\\.csv$"))) {
  name <- sub("\\.csv$", "", f)
  raw <- read.csv(file.path(data_dir, f))
  ok <- complete.cases(raw$baseline, raw$followup)
  b <- raw$baseline[ok]; fu <- raw$followup[ok]; d <- fu - b
  emit(name, "n_pairs", length(d))
  emit(name, "n_nonzero", sum(d != 0))
  emit(name, "median_difference", if (length(d)) median(d) else NA)
  if (sum(d != 0) > 0) {
    w <- suppressWarnings(wilcox.test(fu, b, paired = TRUE, exact = FALSE, correct = TRUE))
    emit(name, "wilcox.V", w$statistic)
    emit(name, "wilcox.p_asymptotic", w$p.value)
    cw <- wilcoxsign_test(fu ~ b, data = data.frame(fu = fu, b = b),
                          zero.method = "Wilcoxon", distribution = "exact")
    emit(name, "coin.p_exact", pvalue(cw))
    nz <- d[d != 0]
    if (have_ert)
      emit(name, "exactRankTests.p_exact",
           safe(exactRankTests::wilcox.exact(nz, exact = TRUE)$p.value))
  }
  if (length(d) >= 2) {
    emit(name, "hl", hl_exact(d))
    if (length(unique(abs(d))) == length(d) && all(d != 0) && length(d) < 50) {
      wt <- suppressWarnings(wilcox.test(d, conf.int = TRUE, exact = TRUE))
      emit(name, "wilcox_ci.estimate", wt$estimate)
      emit(name, "wilcox_ci.conf_int", wt$conf.int)
      emit(name, "wilcox.p_exact_no_ties", wt$p.value)
    }
    tt <- safe(t.test(fu, b, paired = TRUE))
    if (is.list(tt)) {
      emit(name, "t.statistic", tt$statistic)
      emit(name, "t.df", tt$parameter)
      emit(name, "t.p", tt$p.value)
      emit(name, "t.mean_difference", tt$estimate)
      emit(name, "t.conf_int", tt$conf.int)
    }
  }
  emit_quantiles(name, "baseline", raw$baseline[!is.na(raw$baseline)])
  emit_quantiles(name, "followup", raw$followup[!is.na(raw$followup)])
  emit_quantiles(name, "difference", d)
}

# ---- repeated-measures data sets ---------------------------------------------------------------
COIN_MC <- c("repeated_05_n20_k4", "repeated_06_n12_k5_missing", "repeated_08_n30_k4_ceiling",
             "repeated_11_n15_k4_missing", "repeated_14_n25_k5_weak")
for (f in sort(list.files(data_dir, "^repeated_.*\\.csv$"))) {
  name <- sub("\\.csv$", "", f)
  long <- read.csv(file.path(data_dir, f), colClasses = c("character", "numeric", "numeric"))
  Y <- tapply(long$value, list(long$id, long$week), function(v) v[1])
  storage.mode(Y) <- "double"
  cc <- Y[complete.cases(Y), , drop = FALSE]
  k <- ncol(Y)
  emit(name, "friedman.n_complete", nrow(cc))
  ft <- safe(friedman.test(cc))
  if (is.list(ft)) {
    emit(name, "friedman.statistic", ft$statistic)
    emit(name, "friedman.p", ft$p.value)
    emit(name, "friedman.kendall_w", ft$statistic / (nrow(cc) * (k - 1)))
  }
  if (nrow(cc) > 0 && is.list(ft) && is.finite(ft$statistic)) {
    emit(name, "friedman.p_exact_map", friedman_exact_map(cc))
    if (factorial(k)^nrow(cc) <= 4e5)
      emit(name, "friedman.p_exact_brute", friedman_exact_brute(cc))
    if (name %in% COIN_MC) {
      cl <- data.frame(value = as.vector(cc), week = factor(rep(colnames(cc), each = nrow(cc))),
                       id = factor(rep(rownames(cc), times = k)))
      ctf <- friedman_test(value ~ week | id, data = cl,
                           distribution = approximate(nresample = 1e6))
      emit(name, "coin.friedman_p_mc_1e6", pvalue(ctf))
      emit(name, "coin.friedman_statistic", statistic(ctf))
    }
  }
  sm <- safe(skillings_mack(Y))
  emit(name, "skillings_mack.n", sm[1])
  emit(name, "skillings_mack.statistic", sm[2])
  emit(name, "skillings_mack.p", pchisq(sm[2], k - 1, lower.tail = FALSE))
  dl <- long[!is.na(long$value), ]
  if (length(unique(dl$week)) >= 2 && length(unique(dl$value)) > 1) {
    fits <- list(
      lmer_default = lmer(value ~ factor(week) + (1 | id), data = dl, REML = TRUE),
      lmer_tight = lmer(value ~ factor(week) + (1 | id), data = dl, REML = TRUE,
                        control = lmerControl(optimizer = "bobyqa",
                                              optCtrl = list(rhoend = 1e-12, maxfun = 1e5)))
    )
    for (label in names(fits)) {
      fit <- fits[[label]]
      est <- fixef(fit)
      se <- sqrt(diag(as.matrix(vcov(fit))))
      z <- est / se
      emit(name, paste0(label, ".estimate"), est)
      emit(name, paste0(label, ".se"), se)
      emit(name, paste0(label, ".p_wald"), 2 * pnorm(-abs(z)))
      emit(name, paste0(label, ".ci_low"), est - qnorm(0.975) * se)
      emit(name, paste0(label, ".ci_high"), est + qnorm(0.975) * se)
      emit(name, paste0(label, ".theta"), getME(fit, "theta"))
      emit(name, paste0(label, ".sigma"), sigma(fit))
      emit(name, paste0(label, ".reml_criterion"), REMLcrit(fit))
      emit(name, paste0(label, ".n_obs"), nobs(fit))
      emit(name, paste0(label, ".n_patients"), ngrps(fit))
    }
  }
  for (j in seq_len(k)) {
    column <- Y[, j]
    emit_quantiles(name, paste0("week", colnames(Y)[j]), column[!is.na(column)])
  }
}

# ---- survival data sets ------------------------------------------------------------------------
for (f in sort(list.files(data_dir, "^survival_.*\\.csv$"))) {
  name <- sub("\\.csv$", "", f)
  s <- read.csv(file.path(data_dir, f))
  fit <- survfit(Surv(time, event) ~ 1, data = s, conf.type = "log-log")
  emit(name, "km.n", fit$n)
  emit(name, "km.events", sum(fit$n.event))
  for (field in c("time", "n.risk", "n.event", "n.censor", "surv", "std.err", "lower", "upper"))
    emit(name, paste0("km.", field), fit[[field]])
  q <- quantile(fit, c(0.25, 0.5, 0.75))
  emit(name, "km.quantile", q$quantile)
  emit(name, "km.quantile_lower", q$lower)
  emit(name, "km.quantile_upper", q$upper)
}

# ---- counts: binomial, McNemar, Poisson --------------------------------------------------------
counts <- read.csv(file.path(data_dir, "counts.csv"), colClasses = c("character", "character",
                                                                       "numeric", "numeric"))
for (i in seq_len(nrow(counts))) {
  name <- counts$dataset[i]; a <- counts$a[i]; b <- counts$b[i]
  if (counts$kind[i] == "binom") {
    bt <- binom.test(a, b)
    emit(name, "binom.p", bt$p.value)
    emit(name, "binom.conf_int", bt$conf.int)
    emit(name, "binom.p_null_0.3", binom.test(a, b, p = 0.3)$p.value)
  } else if (counts$kind[i] == "mcnemar") {
    if (a + b > 0) emit(name, "mcnemar.p", binom.test(a, a + b)$p.value)
  } else {
    py <- b / (365.25 / 7)
    pt <- poisson.test(a, py)
    emit(name, "poisson.patient_years", py)
    emit(name, "poisson.rate_per_100py", 100 * a / py)
    emit(name, "poisson.conf_int_per_100py", 100 * pt$conf.int)
  }
}

# ---- multiplicity --------------------------------------------------------------------------------
pv <- read.csv(file.path(data_dir, "pvalues.csv"), colClasses = c("character", "numeric"))
for (name in unique(pv$dataset)) {
  p <- pv$p[pv$dataset == name]
  for (method in c("holm", "bonferroni", "BH")) emit(name, paste0("p.adjust.", method),
                                                    p.adjust(p, method))
}

# ---- quantile data sets ------------------------------------------------------------------------
for (f in sort(list.files(data_dir, "^quantile_.*\\.csv$"))) {
  name <- sub("\\.csv$", "", f)
  emit_quantiles(name, "x", read.csv(file.path(data_dir, f))$value)
}

writeLines(c("dataset,key,value", out), file.path(here, "expected.csv"))
writeLines(c(
  R.version.string,
  paste("coin", as.character(packageVersion("coin"))),
  paste("survival", as.character(packageVersion("survival"))),
  paste("lme4", as.character(packageVersion("lme4"))),
  paste("Matrix", as.character(packageVersion("Matrix"))),
  if (have_ert) paste("exactRankTests", as.character(packageVersion("exactRankTests"))),
  paste("platform", R.version$platform)
), file.path(here, "versions.txt"))
cat("wrote", length(out), "values\n")
