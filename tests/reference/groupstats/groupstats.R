#!/usr/bin/env Rscript
# Reference values for jdmtrack's group-comparison statistics (mann_whitney, fisher,
# kruskal, logrank, stratified, pairwise), computed with R, coin, survival, exactRankTests
# and lme4.
#
#   Rscript tests/reference/groupstats/groupstats.R [section ...]   (from the repository root)
#
# Writes expected.json next to this script: for every case its input data and R's values
# (jsonlite prints 15 significant digits). Naming sections (mann_whitney, fisher, kruskal,
# logrank, stratified, pairwise, nested) recomputes only those and keeps the others from the
# existing file (the whole run takes several minutes: brute-force enumerations in R). The
# pytest tests read expected.json only: CI has no R.

suppressPackageStartupMessages({
  library(coin)
  library(survival)
  library(exactRankTests)
  library(jsonlite)
})
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
sections <- commandArgs(trailingOnly = TRUE)
want <- function(section) length(sections) == 0 || section %in% sections
target <- file.path(here, "expected.json")
out <- if (length(sections) > 0 && file.exists(target)) fromJSON(target, simplifyVector = FALSE) else list()
started <- character(0)
add <- function(section, name, value) {
  if (!(section %in% started)) { out[[section]] <<- list(); started <<- c(started, section) }
  out[[section]][[name]] <<- value
}
num <- function(x) if (is.null(x) || length(x) == 0) NA else unname(as.numeric(x))

# ---- 1. Wilcoxon-Mann-Whitney ------------------------------------------------------------
if (want("mann_whitney")) {
# R wilcox.test's exact-branch interval code, applied whatever the ties (what jdmtrack does).
hl_shift_exact <- function(x, y, conf.level = 0.95) {
  alpha <- 1 - conf.level
  diffs <- sort(outer(x, y, `-`))
  qu <- qwilcox(alpha / 2, length(x), length(y))
  if (qu == 0) qu <- 1
  ql <- length(x) * length(y) - qu
  c(median(diffs), diffs[qu], diffs[ql + 1], 1 - 2 * pwilcox(trunc(qu) - 1, length(x), length(y)))
}
set.seed(20240607)
wmw_cases <- list(
  untied_3_4 = list(x = c(1, 2, 3), y = c(4, 5, 6, 7)),
  untied_9_9 = list(x = c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30),
                    y = c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.07, 3.14, 1.28)),
  ties_9_9 = list(x = c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30),
                  y = c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29)),
  cmas_ceiling_7_10 = list(x = c(52, 52, 48, 50, 52, 45, 51), y = c(38, 52, 44, 40, 52, 47, 30, 45, 50, 41)),
  ordinal_5_12 = list(x = c(3, 2, 3, 1, 3), y = c(0, 1, 1, 2, 0, 1, 3, 0, 2, 1, 1, 0)),
  one_vs_five = list(x = c(4.5), y = c(1, 2, 3, 5, 6)),
  untied_12_15 = list(x = round(rnorm(12, 10, 3), 3), y = round(rnorm(15, 8, 3), 3)),
  rounded_30_25 = list(x = round(rnorm(30, 40, 8)), y = round(rnorm(25, 36, 8))),
  decimals_40_35 = list(x = round(rexp(40, 1 / 300), 1), y = round(rexp(35, 1 / 200), 1))
)
for (name in names(wmw_cases)) {
  x <- wmw_cases[[name]]$x; y <- wmw_cases[[name]]$y
  d <- data.frame(v = c(x, y), g = factor(rep(c("x", "y"), c(length(x), length(y))), levels = c("x", "y")))
  w <- suppressWarnings(wilcox.test(x, y, exact = FALSE, correct = TRUE))
  res <- list(x = x, y = y,
              coin_p_exact = num(pvalue(wilcox_test(v ~ g, data = d, distribution = "exact"))),
              ert_p_exact = num(wilcox.exact(x, y, exact = TRUE)$p.value),
              W = num(w$statistic), p_asymptotic = num(w$p.value),
              hl = hl_shift_exact(x, y))
  if (length(unique(c(x, y))) == length(c(x, y)) && length(x) < 50 && length(y) < 50) {
    wc <- wilcox.test(x, y, conf.int = TRUE, exact = TRUE)
    res$wilcox_exact <- c(num(wc$p.value), num(wc$estimate), num(wc$conf.int))
  }
  add("mann_whitney", name, res)
}
}

# ---- 2. Fisher's exact test ----------------------------------------------------------------
if (want("fisher")) {
# fisher.test's conditional MLE and CI with its own equations but solved to 1e-15 (fisher.test
# calls uniroot with its default tolerance, about 1e-4).
or_precise <- function(x, conf.level = 0.95) {
  m <- sum(x[, 1L]); n <- sum(x[, 2L]); k <- sum(x[1L, ]); x <- x[1L, 1L]
  lo <- max(0L, k - n); hi <- min(k, m); support <- lo:hi
  logdc <- dhyper(support, m, n, k, log = TRUE)
  dnhyper <- function(ncp) { d <- logdc + log(ncp) * support; d <- exp(d - max(d)); d / sum(d) }
  mnhyper <- function(ncp) if (ncp == 0) lo else if (ncp == Inf) hi else sum(support * dnhyper(ncp))
  pnhyper <- function(q, ncp, upper.tail = FALSE) {
    if (ncp == 0) return(as.numeric(if (upper.tail) q <= lo else q >= lo))
    if (ncp == Inf) return(as.numeric(if (upper.tail) q <= hi else q >= hi))
    if (ncp == 1) return(if (upper.tail) phyper(x - 1, m, n, k, lower.tail = FALSE) else phyper(x, m, n, k))
    sum(dnhyper(ncp)[if (upper.tail) support >= q else support <= q])
  }
  ur <- function(f, lower, upper) uniroot(f, c(lower, upper), tol = 1e-15)$root
  mle <- function(x) {
    if (x == lo) return(0); if (x == hi) return(Inf)
    mu <- mnhyper(1)
    if (mu > x) ur(function(t) mnhyper(t) - x, 0, 1)
    else if (mu < x) 1 / ur(function(t) mnhyper(1 / t) - x, .Machine$double.eps, 1) else 1
  }
  ncp.U <- function(x, alpha) {
    if (x == hi) return(Inf)
    p <- pnhyper(x, 1)
    if (p < alpha) ur(function(t) pnhyper(x, t) - alpha, 0, 1)
    else if (p > alpha) 1 / ur(function(t) pnhyper(x, 1 / t) - alpha, .Machine$double.eps, 1) else 1
  }
  ncp.L <- function(x, alpha) {
    if (x == lo) return(0)
    p <- pnhyper(x, 1, upper.tail = TRUE)
    if (p > alpha) ur(function(t) pnhyper(x, t, upper.tail = TRUE) - alpha, 0, 1)
    else if (p < alpha) 1 / ur(function(t) pnhyper(x, 1 / t, upper.tail = TRUE) - alpha, .Machine$double.eps, 1) else 1
  }
  alpha <- (1 - conf.level) / 2
  c(mle(x), ncp.L(x, alpha), ncp.U(x, alpha))
}
fisher_cases <- list(
  two_by_two_3_1 = matrix(c(3, 1, 1, 3), 2, byrow = TRUE),
  two_by_two_7_2 = matrix(c(7, 2, 3, 8), 2, byrow = TRUE),
  two_by_two_zero = matrix(c(5, 0, 2, 6), 2, byrow = TRUE),
  two_by_two_unbalanced = matrix(c(1, 9, 11, 3), 2, byrow = TRUE),
  two_by_three = matrix(c(3, 1, 2, 0, 4, 3), 2, byrow = TRUE),
  three_by_three = matrix(c(2, 0, 1, 1, 3, 0, 0, 1, 4), 3, byrow = TRUE),
  two_by_five = matrix(c(1, 2, 0, 3, 1, 4, 0, 2, 1, 0), 2, byrow = TRUE),
  job_satisfaction = matrix(c(1, 2, 1, 0, 3, 3, 6, 1, 10, 10, 14, 9, 6, 7, 12, 11), 4, 4),
  sites_by_response = matrix(c(4, 3, 1, 2, 5, 2, 6, 1, 1, 3, 2, 4), 3, byrow = TRUE)
)
set.seed(20240607)
for (name in names(fisher_cases)) {
  tab <- fisher_cases[[name]]
  ft <- fisher.test(tab)
  ct <- suppressWarnings(chisq.test(tab, correct = FALSE))
  res <- list(table = lapply(seq_len(nrow(tab)), function(i) tab[i, ]), p = num(ft$p.value),
              chisq = c(num(ct$statistic), num(ct$parameter), num(ct$p.value)))
  if (all(dim(tab) == 2)) {
    res$or_fisher_test <- c(num(ft$estimate), num(ft$conf.int))
    res$or_precise <- or_precise(tab)
  }
  if (name == "job_satisfaction")
    res$p_simulated_1e5 <- num(fisher.test(tab, simulate.p.value = TRUE, B = 1e5)$p.value)
  add("fisher", name, res)
}
}

# ---- 3. Kruskal-Wallis -------------------------------------------------------------------
if (want("kruskal")) {
# Exact permutation p by brute force: every assignment of the values to groups of the observed
# sizes (coin has no exact k-sample distribution). P(H* >= H) with a 1e-9 relative tolerance.
kw_stat <- function(r, g) sum(tapply(r, g, sum)^2 / tapply(r, g, length))
assignments <- function(n, sizes) {
  if (length(sizes) == 1) return(matrix(rep(1L, n), nrow = 1))
  out <- list()
  for (idx in combn(n, sizes[1], simplify = FALSE)) {
    rest <- assignments(n - sizes[1], sizes[-1])
    block <- matrix(0L, nrow(rest), n)
    block[, idx] <- 1L
    block[, -idx] <- rest + 1L
    out[[length(out) + 1]] <- block
  }
  do.call(rbind, out)
}
kw_brute <- function(y, g) {
  r <- rank(y); sizes <- as.vector(table(g))
  obs <- kw_stat(r, g)
  a <- assignments(length(y), sizes)
  s <- apply(a, 1, function(lab) kw_stat(r, lab))
  mean(s >= obs * (1 - 1e-9))
}
set.seed(20240607)
kw_cases <- list(
  untied_3_3_3 = list(y = c(1, 2, 3, 4, 5, 6, 7, 8, 9), g = rep(1:3, each = 3)),
  ties_4_3_5 = list(y = c(2, 3, 3, 5, 1, 3, 4, 5, 5, 6, 7, 7), g = rep(1:3, c(4, 3, 5))),
  cmas_5_4_4 = list(y = c(52, 50, 52, 47, 40, 45, 52, 38, 44, 30, 35, 52, 41), g = rep(1:3, c(5, 4, 4))),
  four_groups_3 = list(y = c(10.5, 12.1, 9.8, 14.2, 15.0, 13.3, 9.1, 8.7, 10.5, 16.4, 12.1, 17.8), g = rep(1:4, each = 3)),
  minimal_2_2_2 = list(y = c(1, 2, 3, 4, 5, 6), g = rep(1:3, each = 2)),
  two_groups_7_10 = list(y = c(52, 52, 48, 50, 52, 45, 51, 38, 52, 44, 40, 52, 47, 30, 45, 50, 41), g = rep(1:2, c(7, 10))),
  large_12_15_10 = list(y = round(c(rnorm(12, 40, 8), rnorm(15, 44, 8), rnorm(10, 36, 8))), g = rep(1:3, c(12, 15, 10)))
)
for (name in names(kw_cases)) {
  y <- kw_cases[[name]]$y; g <- kw_cases[[name]]$g
  kt <- kruskal.test(y, factor(g))
  d <- data.frame(y = y, g = factor(g))
  res <- list(y = y, g = g, statistic = num(kt$statistic), df = num(kt$parameter), p = num(kt$p.value),
              coin_p_approx_1e6 = num(pvalue(kruskal_test(y ~ g, data = d, distribution = approximate(nresample = 1e6)))))
  if (length(unique(g)) == 2) res$coin_p_exact <- num(pvalue(kruskal_test(y ~ g, data = d, distribution = "exact")))
  else if (length(y) <= 13) res$brute_p_exact <- kw_brute(y, g)
  add("kruskal", name, res)
}
}

# ---- 4. Log-rank -----------------------------------------------------------------------------
if (want("logrank")) {
set.seed(20240607)
lr_cases <- list(
  uncensored_3_3 = list(time = c(1, 2, 3, 4, 5, 6), event = rep(1, 6), g = rep(1:2, each = 3)),
  ties_censored_6_6 = list(time = c(2, 4, 4, 8, 12, 12, 4, 8, 12, 16, 24, 24),
                           event = c(1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0), g = rep(1:2, each = 6)),
  rash_weeks_9_11 = list(time = c(4, 4, 8, 8, 8, 12, 16, 24, 24, 8, 12, 12, 16, 16, 24, 24, 24, 24, 24, 24),
                         event = c(1, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0),
                         g = rep(1:2, c(9, 11))),
  heavy_censoring_10_10 = list(time = round(rexp(20, 1 / 20), 1), event = rbinom(20, 1, 0.4), g = rep(1:2, each = 10)),
  three_groups_5_6_5 = list(time = c(3, 5, 8, 8, 12, 4, 6, 10, 14, 20, 24, 2, 2, 5, 7, 9),
                            event = c(1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0), g = rep(1:3, c(5, 6, 5))),
  one_group_no_events_4_5 = list(time = c(5, 8, 12, 24, 3, 6, 6, 9, 15), event = c(0, 0, 0, 0, 1, 1, 0, 1, 1),
                                 g = rep(1:2, c(4, 5)))
)
for (name in names(lr_cases)) {
  cs <- lr_cases[[name]]
  d <- data.frame(time = cs$time, event = cs$event, g = factor(cs$g))
  sd <- survdiff(Surv(time, event) ~ g, data = d)
  df <- sum(sd$exp > 0) - 1
  res <- c(cs, list(chisq = num(sd$chisq), observed = num(sd$obs), expected = num(sd$exp), df = df,
                    p = pchisq(sd$chisq, df, lower.tail = FALSE),
                    scores = num(logrank_trafo(Surv(d$time, d$event))),
                    coin_p_approx_1e6 = num(pvalue(logrank_test(Surv(time, event) ~ g, data = d,
                                                   distribution = approximate(nresample = 1e6))))))
  if (nlevels(d$g) == 2)
    res$coin_p_exact <- num(pvalue(logrank_test(Surv(time, event) ~ g, data = d, distribution = "exact")))
  add("logrank", name, res)
}
}

# ---- 5. Site-stratified tests --------------------------------------------------------------
if (want("stratified")) {
# Exact stratified two-sample p by brute force: every within-site choice of group-1 members.
strat_brute <- function(a, g1, s) {
  sites <- unique(s)
  per_site <- lapply(sites, function(k) {
    idx <- which(s == k); m <- sum(g1[idx])
    if (m == 0 || m == length(idx)) return(sum(a[idx][g1[idx] == 1]))  # fixed
    combn(length(idx), m, function(ch) sum(a[idx][ch]))
  })
  total <- Reduce(function(x, y) as.vector(outer(x, y, `+`)), per_site)
  centre <- sum(sapply(sites, function(k) { idx <- which(s == k); sum(g1[idx]) * mean(a[idx]) }))
  obs <- sum(a[g1 == 1])
  mean(abs(total - centre) >= abs(obs - centre) - 1e-9)
}
within_ranks <- function(y, s) { r <- numeric(length(y)); for (k in unique(s)) r[s == k] <- rank(y[s == k]); r }
set.seed(20240607)
sw_cases <- list(
  three_sites_15 = list(y = c(3, 5, 2, 6, 8, 4, 1, 4, 2, 7, 5, 9, 3, 6, 8), g = c(1, 1, 1, 2, 2, 2, 1, 1, 2, 2, 2, 1, 1, 2, 2),
                        s = rep(1:3, c(6, 5, 4))),
  cmas_ties_3_sites = list(y = c(52, 48, 52, 45, 50, 40, 52, 44, 47, 52, 30, 38, 45, 41, 52, 50, 49),
                           g = c(1, 1, 1, 2, 2, 2, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2), s = rep(1:3, c(6, 5, 6))),
  site_with_one_group = list(y = c(2.5, 3.1, 4.0, 5.2, 1.0, 1.5, 2.2, 3.3, 4.4, 5.5), g = c(1, 1, 2, 2, 1, 1, 1, 2, 2, 2),
                             s = c(1, 1, 1, 1, 2, 2, 3, 3, 3, 3)),
  four_sites_24 = list(y = round(rnorm(24, 40, 6)), g = rep(c(1, 2, 1, 2, 1, 2, 1, 2), 3), s = rep(1:4, each = 6))
)
for (name in names(sw_cases)) {
  cs <- sw_cases[[name]]
  d <- data.frame(y = cs$y, g = factor(cs$g), s = factor(cs$s))
  wt <- wilcox_test(y ~ g | s, data = d)
  ve <- function(data) trafo(data, numeric_trafo = function(y) rank_trafo(y) / (length(y) + 1), block = d$s)
  it <- independence_test(y ~ g | s, data = d, ytrafo = ve)
  g1 <- as.integer(cs$g == 1)
  res <- c(cs, list(
    pooled_statistic = num(statistic(wt, "linear")), pooled_expectation = num(expectation(wt)),
    pooled_variance = num(variance(wt)), pooled_p_asymptotic = num(pvalue(wt)),
    pooled_coin_p_exact = num(pvalue(wilcox_test(y ~ g | s, data = d, distribution = "exact"))),
    pooled_brute_p_exact = strat_brute(rank(cs$y), g1, cs$s),
    ve_statistic = num(statistic(it, "linear")), ve_expectation = num(expectation(it)),
    ve_variance = num(variance(it)), ve_p_asymptotic = num(pvalue(it)),
    ve_brute_p_exact = strat_brute(within_ranks(cs$y, cs$s) / (ave(cs$y, cs$s, FUN = length) + 1), g1, cs$s),
    ve_coin_p_approx_1e6 = num(pvalue(independence_test(y ~ g | s, data = d, ytrafo = ve,
                                                        distribution = approximate(nresample = 1e6))))))
  add("stratified_wilcoxon", name, res)
}
# Stratified signed rank: all 2^n sign patterns of the non-zero differences.
signrank_strat <- function(d, s) {
  keep <- d != 0; d <- d[keep]; s <- s[keep]
  r <- within_ranks(abs(d), s)
  obs <- sum(r[d > 0]); centre <- sum(r) / 2
  n <- length(d)
  signs <- as.matrix(expand.grid(rep(list(c(0, 1)), n)))
  v <- signs %*% r
  c(obs, centre, sum(r^2) / 4, mean(abs(v - centre) >= abs(obs - centre) - 1e-9))
}
sr_cases <- list(
  two_sites_hand = list(d = c(1, 2, 3, 5, 6, 7), s = c(1, 1, 1, 2, 2, 2)),
  three_sites_ties_zeros = list(d = c(4, -1, 4, 0, 6, 2, -2, 3, 3, 0, 5, -1, 2, 2, 7), s = rep(1:3, each = 5)),
  cmas_changes_4_sites = list(d = c(6, 3, -2, 8, 1, 4, 4, -1, 0, 9, 2, 5, -3, 7, 2, 2), s = rep(1:4, each = 4))
)
for (name in names(sr_cases)) {
  cs <- sr_cases[[name]]
  add("stratified_signed_rank", name, c(cs, list(brute = signrank_strat(cs$d, cs$s))))
}
}

# ---- 5b. Friedman blocked within site ----------------------------------------------------------
if (want("site_friedman")) {
set.seed(20240607)
sf_cases <- list(
  three_sites_k3 = list(y = c(40, 44, 47, 35, 41, 40, 50, 50, 52, 38, 45, 49, 42, 42, 46,
                              30, 36, 41, 44, 43, 48, 39, 46, 45, 47, 49, 52, 33, 33, 40),
                        site = rep(c("A", "B", "C"), c(4, 3, 3)), k = 3),
  two_sites_k4_ties = list(y = c(2, 3, 3, 5, 1, 2, 4, 4, 3, 3, 3, 3, 2, 4, 5, 6, 1, 1, 2, 3,
                                 4, 3, 2, 1, 2, 2, 3, 5),
                           site = rep(c("north", "south"), c(4, 3)), k = 4)
)
for (name in names(sf_cases)) {
  cs <- sf_cases[[name]]
  m <- matrix(cs$y, ncol = cs$k, byrow = TRUE)
  pooled <- friedman.test(m)
  long <- data.frame(y = as.vector(t(m)), week = factor(rep(seq_len(cs$k), nrow(m))),
                     patient = factor(paste(rep(cs$site, each = cs$k), rep(seq_len(nrow(m)), each = cs$k))))
  per_site <- sapply(unique(cs$site), function(s) num(friedman.test(m[cs$site == s, , drop = FALSE])$statistic))
  q_het <- sum(per_site) - num(pooled$statistic)
  df_het <- (length(per_site) - 1) * (cs$k - 1)
  add("site_friedman", name, c(cs, list(
    pooled_statistic = num(pooled$statistic), pooled_p = num(pooled$p.value),
    coin_pooled_p = num(pvalue(friedman_test(y ~ week | patient, data = long))),
    per_site = per_site, q_het = q_het, df_het = df_het,
    p_het = pchisq(q_het, df_het, lower.tail = FALSE))))
}
}

# ---- 6. Pairwise after Friedman, SPSS-style tests ----------------------------------------------
if (want("pairwise")) {
set.seed(20240607)
pw_cases <- list(
  cmas_n8_k4 = list(y = c(30, 34, 38, 44, 40, 41, 45, 48, 22, 30, 30, 35, 45, 47, 50, 52, 35, 35, 42, 44,
                          28, 33, NA, 41, 39, 44, 47, 47, 41, 40, 46, 51), k = 4, weeks = c(0, 4, 12, 24)),
  ties_zeros_n12_k3 = list(y = c(3, 2, 1, 4, 4, 2, 5, 3, 3, 2, 2, 1, 6, 4, 2, 3, 1, 1, 4, 4, 3, 5, 2, 2,
                                 3, 3, 1, 2, 1, 0, 5, 4, 4, 4, 3, 1), k = 3, weeks = c(0, 12, 24)),
  ck_n15_k3 = list(y = round(c(rexp(15, 1 / 400), rexp(15, 1 / 250), rexp(15, 1 / 150))), k = 3, weeks = c(0, 4, 24))
)
for (name in names(pw_cases)) {
  cs <- pw_cases[[name]]
  m <- if (name == "ck_n15_k3") matrix(cs$y, ncol = cs$k) else matrix(cs$y, ncol = cs$k, byrow = TRUE)
  pairs <- combn(cs$k, 2)
  rows <- list()
  for (j in seq_len(ncol(pairs))) {
    a <- pairs[1, j]; b <- pairs[2, j]
    ok <- !is.na(m[, a]) & !is.na(m[, b])
    x <- m[ok, a]; y <- m[ok, b]
    d <- y - x
    w <- suppressWarnings(wilcox.test(y, x, paired = TRUE, exact = FALSE, correct = FALSE))
    dd <- data.frame(y = y, x = x)
    p_exact <- if (any(d != 0)) num(pvalue(wilcoxsign_test(y ~ x, data = dd, zero.method = "Wilcoxon", distribution = "exact"))) else NA
    tt <- t.test(y, x, paired = TRUE)
    rows[[j]] <- list(a = cs$weeks[a], b = cs$weeks[b], n = sum(ok), V = num(w$statistic),
                      p_spss = num(w$p.value), p_exact = p_exact,
                      t = num(tt$statistic), t_df = num(tt$parameter), t_p = num(tt$p.value),
                      t_ci = num(tt$conf.int))
  }
  p_exact <- sapply(rows, function(r) r$p_exact); p_spss <- sapply(rows, function(r) r$p_spss)
  add("pairwise", name, list(y = m, weeks = cs$weeks, comparisons = rows,
                             holm_exact = p.adjust(p_exact, "holm"), bonferroni_exact = p.adjust(p_exact, "bonferroni"),
                             holm_spss = p.adjust(p_spss, "holm"), bonferroni_spss = p.adjust(p_spss, "bonferroni")))
}
}

# ---- 7. Nested mixed model ---------------------------------------------------------------------
if (want("nested")) {
suppressPackageStartupMessages(library(lme4))
set.seed(20240607)
source(file.path(here, "nested_data.R"))
nested_cases <- list(
  doc_3_sites = data.frame(site = rep(c("A", "B", "C"), each = 6), id = rep(rep(1:3, each = 2), 3),
                           week = rep(c(0, 12), 9),
                           value = c(40, 46, 30, 33, 45, 52, 38, 41, 35, 40, 36, 44, 42, 47, 44, 50, 39, 41)),
  four_sites_missing = make_nested(c(3, 5, 4, 6), c(0, 4, 12, 24), 4, 6, 3, drop = 0.15),
  six_sites_k3 = make_nested(c(4, 3, 5, 4, 6, 3), c(0, 12, 24), 2.5, 5, 4, drop = 0.1),
  no_site_effect = make_nested(c(4, 4, 4), c(0, 12), 0, 5, 3)
)
for (name in names(nested_cases)) {
  dl <- nested_cases[[name]]
  fit <- lmer(value ~ factor(week) + (1 | site/id), data = dl, REML = TRUE,
              control = lmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e5)))
  vc <- as.data.frame(VarCorr(fit))
  add("nested", name, list(site = dl$site, id = dl$id, week = dl$week, value = dl$value,
                           fixef = num(fixef(fit)), se = num(sqrt(diag(as.matrix(vcov(fit))))),
                           sd_patient = vc$sdcor[vc$grp == "id:site"], sd_site = vc$sdcor[vc$grp == "site"],
                           sd_residual = vc$sdcor[vc$grp == "Residual"], reml = REMLcrit(fit),
                           singular = isSingular(fit)))
}
}

# ---- write -----------------------------------------------------------------------------------
out$versions <- list(
  R = R.version.string, coin = as.character(packageVersion("coin")),
  survival = as.character(packageVersion("survival")),
  exactRankTests = as.character(packageVersion("exactRankTests")),
  jsonlite = as.character(packageVersion("jsonlite")),
  lme4 = if (requireNamespace("lme4", quietly = TRUE)) as.character(packageVersion("lme4")) else NA,
  command = "Rscript tests/reference/groupstats/groupstats.R")
writeLines(toJSON(out, auto_unbox = TRUE, digits = I(17), na = "string", pretty = TRUE),
           target)
