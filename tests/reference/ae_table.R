# Exact Poisson 95% CIs (per 100 patient-years) pinned in tests/analysis/test_ae_table.py.
# Exposure: 3 patients x 52 weeks = 156 weeks = 156 / (365.25 / 7) patient-years.
py <- 156 / (365.25 / 7)
for (x in c(3, 2, 1)) {
  ci <- poisson.test(x, T = py)$conf.int * 100
  cat(sprintf("x=%d rate=%.10f low=%.10f high=%.10f\n", x, 100 * x / py, ci[1], ci[2]))
}
