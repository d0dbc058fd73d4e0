# Reference values for tests/plan (jdmtrack plan). Run: Rscript tests/reference/plan.R
# R 4.2.2, pwr 1.3-0. The output is pinned in tests/plan/test_power.py and test_binomial.py.
library(pwr)
options(digits = 15)
# Exact one-sided binomial tails (critical value c: reject when X >= c).
print(pbinom(c(6, 7), 20, 0.2, lower.tail = FALSE))
print(pbinom(7, 20, 0.5, lower.tail = FALSE))
# t-test power (noncentral t, two-sided), one-sample on the change and two-sample per arm.
print(pwr.t.test(n = 10, d = 1, sig.level = 0.05, type = "one.sample")$power)
print(pwr.t.test(n = 12, d = 0.8, sig.level = 0.05, type = "one.sample")$power)
print(pwr.t.test(n = 15, d = 0.9, sig.level = 0.05, type = "two.sample")$power)
# Exact power of the two-sided Fisher test, n = 10 per arm, rates 0.8 and 0.2, by enumeration.
fisher_power <- function(n, p1, p2, alpha = 0.05) {
  total <- 0
  for (x1 in 0:n) for (x2 in 0:n) {
    p <- fisher.test(matrix(c(x1, n - x1, x2, n - x2), 2))$p.value
    if (p <= alpha) total <- total + dbinom(x1, n, p1) * dbinom(x2, n, p2)
  }
  total
}
print(fisher_power(10, 0.8, 0.2))
print(fisher_power(12, 0.7, 0.3))
# Log-rank chi-square (survdiff) of a small two-arm data set.
library(survival)
time <- c(3.1, 5.2, 7.7, 9.0, 12.5, 15.0, 2.2, 4.1, 4.9, 6.3, 8.8, 10.4)
status <- c(1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1)
arm <- rep(c(1, 2), each = 6)
print(survdiff(Surv(time, status) ~ arm)$chisq)
