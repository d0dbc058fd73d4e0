# make_nested(): a cohort of patients nested in sites, shared by groupstats.R and
# large_sample.R (draws from R's current random stream: call after set.seed).
make_nested <- function(n_per_site, weeks, site_sd, patient_sd, resid_sd, drop = 0) {
  rows <- list()
  for (s in seq_along(n_per_site)) {
    us <- rnorm(1, 0, site_sd)
    for (i in seq_len(n_per_site[s])) {
      up <- rnorm(1, 0, patient_sd)
      for (w in weeks) {
        if (w > 0 && runif(1) < drop) next
        rows[[length(rows) + 1]] <- data.frame(site = paste0("S", s), id = i, week = w,
                                               value = round(35 + us + up + 0.3 * w + rnorm(1, 0, resid_sd), 1))
      }
    }
  }
  do.call(rbind, rows)
}
