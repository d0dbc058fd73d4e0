#!/usr/bin/env Rscript
# Reference values for jdmtrack's group-comparison statistics (mann_whitney, fisher,
# kruskal, logrank, stratified, pairwise), computed with R, coin, survival, exactRankTests
# and lme4.
#
#   Rscript tests/reference/groupstats/groupstats.R      (from the repository root)
#
# Writes expected.json next to this script: for every case its input data and R's values
# (17 significant digits). The pytest tests read expected.json only: CI has no R.

suppressPackageStartupMessages({
  library(coin)
  library(survival)
  library(exactRankTests)
  library(jsonlite)
})
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
out <- list()
add <- function(section, name, value) {
  if (is.null(out[[section]])) out[[section]] <<- list()
  out[[section]][[name]] <<- value
}
num <- function(x) if (is.null(x) || length(x) == 0) NA else unname(as.numeric(x))

# ---- 1. Wilcoxon-Mann-Whitney ------------------------------------------------------------
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

# ---- 2. Fisher's exact test ----------------------------------------------------------------
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
  res <- list(table = lapply(seq_len(nrow(tab)), function(i) tab[i, ]), p = num(ft$p.value))
  if (all(dim(tab) == 2)) {
    res$or_fisher_test <- c(num(ft$estimate), num(ft$conf.int))
    res$or_precise <- or_precise(tab)
  }
  if (name == "job_satisfaction")
    res$p_simulated_1e5 <- num(fisher.test(tab, simulate.p.value = TRUE, B = 1e5)$p.value)
  add("fisher", name, res)
}

# ---- write -----------------------------------------------------------------------------------
out$versions <- list(
  R = R.version.string, coin = as.character(packageVersion("coin")),
  survival = as.character(packageVersion("survival")),
  exactRankTests = as.character(packageVersion("exactRankTests")),
  lme4 = if (requireNamespace("lme4", quietly = TRUE)) as.character(packageVersion("lme4")) else NA,
  command = "Rscript tests/reference/groupstats/groupstats.R")
writeLines(toJSON(out, auto_unbox = TRUE, digits = I(17), na = "null", pretty = TRUE),
           file.path(here, "expected.json"))
