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

# ---- write -----------------------------------------------------------------------------------
out$versions <- list(
  R = R.version.string, coin = as.character(packageVersion("coin")),
  survival = as.character(packageVersion("survival")),
  exactRankTests = as.character(packageVersion("exactRankTests")),
  lme4 = if (requireNamespace("lme4", quietly = TRUE)) as.character(packageVersion("lme4")) else NA,
  command = "Rscript tests/reference/groupstats/groupstats.R")
writeLines(toJSON(out, auto_unbox = TRUE, digits = I(17), na = "null", pretty = TRUE),
           file.path(here, "expected.json"))
