# The REML criterion of lmer(value ~ factor(week) + (1 | site/id)) and its gradient at fixed
# relative SDs, for the nested cases of groupstats/expected.json (their input data): pins
# jdmtrack.stats._nested_reml (the criterion and the analytic gradient its Newton minimiser
# uses) against lme4's own deviance function.
#
# lme4's theta for (1 | site/id) is (id:site, site): theta = (t_p, t_s). The gradient is in
# phi = (t_s^2, t_p^2), by central differences of devFunOnly's criterion in phi with
# Richardson extrapolation (steps h and h/2, h = 1e-3 phi): error about 1e-9 relative.
#
# Run from the repository root:  Rscript tests/reference/nested_mixed_gradient.R
# Writes tests/reference/nested_mixed_gradient.json.
suppressMessages({library(lme4); library(jsonlite)})
cases <- fromJSON("tests/reference/groupstats/expected.json")$nested
points <- list(c(0.5, 1.0), c(1.5, 0.3), c(0.2, 2.0))  # (t_s, t_p)
out <- list()
for (name in names(cases)) {
  k <- cases[[name]]
  dl <- data.frame(site = factor(k$site), id = factor(k$id), week = k$week, value = k$value)
  dev <- lmer(value ~ factor(week) + (1 | site/id), data = dl, REML = TRUE, devFunOnly = TRUE)
  at_phi <- function(phi) dev(c(sqrt(phi[2]), sqrt(phi[1])))
  central <- function(phi, j, h) {
    up <- phi; dn <- phi; up[j] <- up[j] + h; dn[j] <- dn[j] - h
    (at_phi(up) - at_phi(dn)) / (2 * h)
  }
  rows <- list()
  for (t in points) {
    phi <- t^2
    grad <- sapply(1:2, function(j) {
      h <- 1e-3 * phi[j]
      (4 * central(phi, j, h / 2) - central(phi, j, h)) / 3
    })
    rows[[length(rows) + 1]] <- list(theta = t, criterion = at_phi(phi), gradient = grad)
  }
  out[[name]] <- rows
}
out$versions <- list(R = R.version.string, lme4 = as.character(packageVersion("lme4")))
writeLines(toJSON(out, digits = 15, auto_unbox = TRUE, pretty = TRUE),
           "tests/reference/nested_mixed_gradient.json")
