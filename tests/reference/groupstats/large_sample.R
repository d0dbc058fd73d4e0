#!/usr/bin/env Rscript
# Reference values for the large-sample modes of jdmtrack's group statistics: the
# asymptotic forms coin uses (distribution = "asymptotic") and its Monte Carlo p-values
# (distribution = approximate(nresample = B)), on samples above the exact-test threshold
# (more than 50 patients), and lme4 on a cohort large enough for the structured REML solve.
#
#   Rscript tests/reference/groupstats/large_sample.R          (from the repository root)
#
# Writes large_sample.json next to this script (inputs and R's values); the pytest tests
# (tests/stats/test_stats_large_sample.py) read only that file: CI needs no R.

for (package in c("coin", "lme4", "jsonlite")) suppressPackageStartupMessages(library(package, character.only = TRUE))
script <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
here <- dirname(normalizePath(sub("^--file=", "", script)))
num <- function(x) unname(as.numeric(x))
out <- list()
B <- 10000L  # Monte Carlo resamples: standard error sqrt(p (1 - p) / B), at most 0.005

# ---- Wilcoxon-Mann-Whitney, asymptotic (no continuity correction, as coin) ------------------
set.seed(20261204)
mw <- list(
  tied_300_250 = list(x = round(rnorm(300, 40, 8)), y = round(rnorm(250, 39, 8))),
  untied_400_300 = list(x = round(rnorm(400, 10, 3), 6), y = round(rnorm(300, 10.4, 3), 6)),
  small_shift_60_45 = list(x = round(rnorm(60, 20, 5)), y = round(rnorm(45, 21, 5)))
)
for (name in names(mw)) {
  x <- mw[[name]]$x; y <- mw[[name]]$y
  d <- data.frame(v = c(x, y), g = factor(rep(c("x", "y"), c(length(x), length(y))), levels = c("x", "y")))
  a <- wilcox_test(v ~ g, data = d, distribution = "asymptotic")
  set.seed(1)
  mc <- wilcox_test(v ~ g, data = d, distribution = approximate(nresample = B))
  out$mann_whitney[[name]] <- c(mw[[name]], list(
    W = num(wilcox.test(x, y, exact = FALSE)$statistic),
    z = num(statistic(a)), p_asymptotic = num(pvalue(a)), p_approx = num(pvalue(mc)),
    min_p_untied = if (length(unique(c(x, y))) == length(c(x, y))) 2 / choose(length(x) + length(y), length(x)) else NA))
}

# ---- Kruskal-Wallis, asymptotic, many groups ---------------------------------------------------
kw <- list(
  groups_24_n1200 = list(y = round(rnorm(1200, 40, 8)), g = rep(sprintf("S%02d", 1:24), 50)),
  groups_4_n80 = list(y = round(rnorm(80, 40, 8)), g = rep(c("a", "b", "c", "d"), c(25, 20, 20, 15)))
)
kw$groups_4_n80$y[1:25] <- kw$groups_4_n80$y[1:25] + 3
for (name in names(kw)) {
  d <- data.frame(y = kw[[name]]$y, g = factor(kw[[name]]$g))
  a <- kruskal_test(y ~ g, data = d, distribution = "asymptotic")
  set.seed(1)
  mc <- kruskal_test(y ~ g, data = d, distribution = approximate(nresample = B))
  out$kruskal[[name]] <- c(kw[[name]], list(statistic = num(statistic(a)), df = length(unique(d$g)) - 1,
                                            p_asymptotic = num(pvalue(a)), p_approx = num(pvalue(mc)),
                                            kruskal_test_p = kruskal.test(y ~ g, data = d)$p.value))
}

# ---- van Elteren (ranks within site / (n_s + 1)), asymptotic --------------------------------
ve_cases <- list(
  sites_8_n400 = list(y = round(rnorm(400, 40, 8)), g = rep(c(1, 2), 200), s = rep(1:8, each = 50)),
  sites_3_n90 = list(y = round(rnorm(90, 30, 6)), g = rep(c(1, 1, 2), 30), s = rep(1:3, c(20, 30, 40)))
)
ve_cases$sites_3_n90$y[ve_cases$sites_3_n90$g == 1] <- ve_cases$sites_3_n90$y[ve_cases$sites_3_n90$g == 1] + 2
for (name in names(ve_cases)) {
  cs <- ve_cases[[name]]
  d <- data.frame(y = cs$y, g = factor(cs$g), s = factor(cs$s))
  ve <- function(data) trafo(data, numeric_trafo = function(y) rank_trafo(y) / (length(y) + 1), block = d$s)
  it <- independence_test(y ~ g | s, data = d, ytrafo = ve, distribution = "asymptotic")
  set.seed(1)
  mc <- independence_test(y ~ g | s, data = d, ytrafo = ve, distribution = approximate(nresample = B))
  out$van_elteren[[name]] <- c(cs, list(statistic = num(statistic(it, "linear")),
                                        expectation = num(expectation(it)), variance = num(variance(it)),
                                        z = num(statistic(it)), p_asymptotic = num(pvalue(it)),
                                        p_approx = num(pvalue(mc))))
}

# ---- Signed rank with differences ranked within site, normal approximation ------------------
# coin has no site-stratified signed-rank test; this is the normal form written out:
# V = sum of positive within-site mid-ranks of |d| (zeros dropped), E V = sum r / 2,
# Var V = sum r^2 / 4, two-sided p = 2 pnorm(-|V - E V| / sqrt(Var V)).
sr_cases <- list(
  sites_6_n300 = list(d = round(rnorm(300, 0.5, 4)), s = rep(1:6, each = 50)),
  sites_12_n600 = list(d = round(rnorm(600, 0, 5)), s = rep(1:12, 50))
)
for (name in names(sr_cases)) {
  cs <- sr_cases[[name]]
  keep <- cs$d != 0; dd <- cs$d[keep]; ss <- cs$s[keep]
  r <- ave(abs(dd), ss, FUN = rank)
  v <- sum(r[dd > 0]); e <- sum(r) / 2; var <- sum(r^2) / 4
  z <- (v - e) / sqrt(var)
  out$signed_rank[[name]] <- c(cs, list(statistic = v, expectation = e, variance = var, z = z,
                                        p_asymptotic = 2 * pnorm(-abs(z))))
}

# ---- Nested mixed model at a larger size (structured REML solve) -----------------------------
source(file.path(here, "nested_data.R"))
nested_cases <- list(sites_10_n400 = make_nested(rep(c(30, 50), 5), c(0, 4, 12, 24), 3, 6, 4, drop = 0.2))
for (name in names(nested_cases)) {
  dl <- nested_cases[[name]]
  fit <- lmer(value ~ factor(week) + (1 | site/id), data = dl, REML = TRUE,
              control = lmerControl(optimizer = "bobyqa", optCtrl = list(rhoend = 1e-12, maxfun = 1e5)))
  vc <- as.data.frame(VarCorr(fit))
  out$nested[[name]] <- list(site = dl$site, id = dl$id, week = dl$week, value = dl$value,
                             fixef = num(fixef(fit)), se = num(sqrt(diag(as.matrix(vcov(fit))))),
                             sd_patient = vc$sdcor[vc$grp == "id:site"], sd_site = vc$sdcor[vc$grp == "site"],
                             sd_residual = vc$sdcor[vc$grp == "Residual"], reml = REMLcrit(fit))
}

# ---- Pearson chi-square (counts above 50 patients), as chisq.test(correct = FALSE) ---------
chi_cases <- list(groups_3_levels_4 = matrix(c(12, 7, 9, 15, 10, 4, 8, 6, 11, 3, 9, 14), nrow = 3, byrow = TRUE),
                  two_by_two = matrix(c(30, 12, 21, 25), nrow = 2, byrow = TRUE))
for (name in names(chi_cases)) {
  r <- chisq.test(chi_cases[[name]], correct = FALSE)
  out$chi_square[[name]] <- list(table = chi_cases[[name]], statistic = num(r$statistic),
                                 df = num(r$parameter), p = r$p.value)
}

out$versions <- list(R = R.version.string, coin = as.character(packageVersion("coin")),
                     lme4 = as.character(packageVersion("lme4")), resamples = B,
                     command = "Rscript tests/reference/groupstats/large_sample.R")
writeLines(toJSON(out, auto_unbox = TRUE, digits = I(17), na = "string"),
           file.path(here, "large_sample.json"))
