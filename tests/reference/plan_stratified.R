# Reference values for the site-stratified tests of jdmtrack plan (tests/plan/test_stratified_two_arm.py).
# Run: Rscript tests/reference/plan_stratified.R   (R 4.2.2, coin 1.4-2, survival 3.5-3)
suppressMessages({library(coin); library(survival)})
options(digits = 15)

# 1. Exact conditional test of independence in 2 x 2 x K tables (Fisher arm 1 vs arm 2 by site).
#    Each site: c(arm 1 responders, arm 2 responders, arm 1 non-responders, arm 2 non-responders).
cmh <- function(...) {
  x <- array(c(...), dim = c(2, 2, length(list(...)) / 4))
  mantelhaen.test(x, exact = TRUE)$p.value
}
print(cmh(2, 1, 0, 3,  3, 0, 1, 2,  1, 2, 2, 1))
print(cmh(4, 1, 1, 4,  3, 1, 0, 2,  2, 0, 1, 3,  3, 2, 1, 1))
print(cmh(5, 0, 0, 5,  0, 0, 1, 1))   # site 2 without responders adds nothing: fisher.test
print(fisher.test(matrix(c(5, 0, 0, 5), 2))$p.value)
print(cmh(2, 2, 1, 1,  4, 0, 0, 3,  0, 0, 3, 3))    # a site without any responder

# 2. Stratified log-rank chi-square (survdiff with strata), 3 sites, 24 patients.
time <- c(3.1, 5.2, 7.7, 9.0, 12.5, 15.0, 2.2, 4.1,
          4.9, 6.3, 8.8, 10.4, 1.5, 2.7, 6.6, 11.2,
          13.9, 14.4, 3.8, 5.9, 7.1, 8.2, 16.0, 18.5)
status <- c(1, 1, 0, 1, 1, 0, 1, 1,  1, 1, 0, 1, 1, 1, 1, 0,  1, 0, 1, 1, 1, 1, 0, 1)
arm <- rep(rep(c(1, 2), each = 4), 3)
site <- rep(1:3, each = 8)
print(survdiff(Surv(time, status) ~ arm + strata(site))$chisq)

# 3. Exact stratified log-rank: coin's log-rank scores within each site, arm labels permuted
#    within site over every split (coin has no exact test with blocks), two sided
#    P(|S| >= |s|), as coin (1e-9 tolerance). Sites 1 and 2 of the data above (16 patients).
within <- function(t, e, a, s) {
  sites <- unique(s)
  sc <- lapply(sites, function(k) as.vector(logrank_trafo(Surv(t[s == k], e[s == k]))))
  ar <- lapply(sites, function(k) a[s == k] == 1)
  obs <- sum(mapply(function(x, g) sum(x[g]), sc, ar))
  splits <- lapply(seq_along(sites), function(k) {
    m <- sum(ar[[k]]); cmb <- combn(length(sc[[k]]), m)
    apply(cmb, 2, function(i) sum(sc[[k]][i]))
  })
  total <- Reduce(function(x, y) as.vector(outer(x, y, "+")), splits)
  c(obs, mean(abs(total) >= abs(obs) - 1e-9 * max(1, abs(obs))))
}
keep <- site <= 2
print(within(time[keep], status[keep], arm[keep], site[keep]))
# For contrast only: coin's Monte Carlo p with blocks permutes within site but computes the
# scores over all sites pooled (it equals the enumeration with pooled scores, 0.8869).
set.seed(29)
print(pvalue(logrank_test(Surv(time, status) ~ factor(arm) | factor(site), subset = keep,
                          distribution = approximate(nresample = 200000))))

# 4. Exact power of the stratified Fisher endpoint without site heterogeneity or dropout:
#    6 patients per arm over 2 sites (3 per arm per site), response rates 0.8 and 0.3,
#    every outcome enumerated, each decided by mantelhaen.test(exact = TRUE) at 0.05.
cmh_power <- function(c, p1, p2, alpha = 0.05) {
  total <- 0
  for (a in 0:c) for (b in 0:c) for (d in 0:c) for (e in 0:c) {
    x <- array(c(a, b, c - a, c - b, d, e, c - d, c - e), dim = c(2, 2, 2))
    p <- mantelhaen.test(x, exact = TRUE)$p.value
    if (p <= alpha * (1 + 1e-9))
      total <- total + dbinom(a, c, p1) * dbinom(b, c, p2) * dbinom(d, c, p1) * dbinom(e, c, p2)
  }
  total
}
print(cmh_power(3, 0.8, 0.3))
