# Reference values for tests/analysis/test_analysis_by.py: between-group tests on the
# bundled tofacitinib-ruxolitinib demo (study A imitation), computed from the CSV files.
# Run from the repository root:  Rscript tests/reference/groups/by_groups.R
# Output is pinned in the test (CI needs no R).
suppressMessages(library(coin))
d <- "src/jdmtrack/data/demo/tofacitinib-ruxolitinib"
p <- read.csv(file.path(d, "patients.csv"), colClasses = c(patient_id = "character"))
v <- read.csv(file.path(d, "visits.csv"), colClasses = c(patient_id = "character"))
p$drug <- factor(p$jaki_drug, levels = c("tofacitinib", "ruxolitinib"))
show <- function(name, x) cat(sprintf("%s %.15g\n", name, x))

# Age at JAKi start by drug: exact WMW (coin), W, HL shift and CI (wilcox.test, no ties?)
show("age_W", wilcox.test(age_start_years ~ drug, data = p, exact = FALSE)$statistic)
show("age_p_exact", pvalue(wilcox_test(age_start_years ~ drug, data = p, distribution = "exact")))
show("age_p_asymptotic", wilcox.test(age_start_years ~ drug, data = p, exact = FALSE,
                                     correct = TRUE)$p.value)

# LDH change week 24 - week 0 by drug (patients with both), exact WMW with ties.
w0 <- v[v$week == 0, c("patient_id", "ldh_u_l")]
w24 <- v[v$week == 24, c("patient_id", "ldh_u_l")]
ch <- merge(merge(w0, w24, by = "patient_id", suffixes = c("_0", "_24")),
            p[, c("patient_id", "drug")], by = "patient_id")
ch$change <- ch$ldh_u_l_24 - ch$ldh_u_l_0
ch <- ch[!is.na(ch$change), ]
show("ldh_change_n", nrow(ch))
show("ldh_change_W", wilcox.test(change ~ drug, data = ch, exact = FALSE)$statistic)
show("ldh_change_p_exact", pvalue(wilcox_test(change ~ drug, data = ch, distribution = "exact")))

# Sex by drug: Fisher's exact test, conditional MLE odds ratio.
f <- fisher.test(table(p$drug, p$sex))
show("sex_fisher_p", f$p.value)
show("sex_fisher_or", f$estimate)

# CMAS at week 24 by CMAS course (three groups): Kruskal-Wallis.
c0 <- merge(v[v$week == 24, c("patient_id", "cmas_total")],
            p[, c("patient_id", "x_cmas_course")], by = "patient_id")
c0 <- c0[!is.na(c0$cmas_total) & c0$x_cmas_course != "", ]
k <- kruskal.test(cmas_total ~ factor(x_cmas_course), data = c0)
show("cmas_course_kw_n", nrow(c0))
show("cmas_course_kw_H", k$statistic)
show("cmas_course_kw_p", k$p.value)
# Exact permutation p of H over all C(10, 7) C(3, 1) = 360 assignments of the observed
# values to groups of the observed sizes (H tie-corrected, as kruskal.test).
H <- function(y, g) kruskal.test(y, factor(g))$statistic
g <- as.character(c0$x_cmas_course); y <- c0$cmas_total
obs <- H(y, g); sizes <- table(g); lv <- names(sizes)
hits <- 0; total <- 0
for (a in combn(10, sizes[[1]], simplify = FALSE)) {
  rest <- setdiff(1:10, a)
  for (b in combn(rest, sizes[[2]], simplify = FALSE)) {
    gg <- rep(lv[3], 10); gg[a] <- lv[1]; gg[b] <- lv[2]
    total <- total + 1
    if (H(y, gg) >= obs - 1e-9) hits <- hits + 1
  }
}
show("cmas_course_kw_assignments", total)
show("cmas_course_kw_p_exact", hits / total)

# Time to rash improvement by drug: log-rank (survdiff) chi-square, and coin's exact
# log-rank permutation p. At risk: patients with rash at week 0 (study A: 24 of 25);
# time = first rash_improvement event, else censored at the end of follow-up
# (followup_weeks, else the last visit or event).
e <- read.csv(file.path(d, "events.csv"), colClasses = c(patient_id = "character"))
suppressMessages(library(survival))
w0r <- v[v$week == 0, c("patient_id", "rash")]  # this demo records rash, not skin-DAS
risk <- w0r$patient_id[w0r$rash %in% "yes"]
ev <- e[e$event == "rash_improvement", ]
first <- tapply(ev$week, ev$patient_id, min)
last <- pmax(tapply(v$week, v$patient_id, max)[p$patient_id],
             ifelse(is.na(tapply(e$week, e$patient_id, max)[p$patient_id]), -Inf,
                    tapply(e$week, e$patient_id, max)[p$patient_id]))
endfu <- ifelse(is.na(p$followup_weeks), last, p$followup_weeks); names(endfu) <- p$patient_id
s <- data.frame(id = sort(risk))
s$time <- ifelse(s$id %in% names(first), first[s$id], endfu[s$id])
s$status <- as.integer(s$id %in% names(first))
s$drug <- p$drug[match(s$id, p$patient_id)]
sd <- survdiff(Surv(time, status) ~ drug, data = s)
show("rash_logrank_n", nrow(s))
show("rash_logrank_chisq", sd$chisq)
show("rash_logrank_p_chisq", pchisq(sd$chisq, 1, lower.tail = FALSE))
show("rash_logrank_p_exact", pvalue(logrank_test(Surv(time, status) ~ drug, data = s,
                                                 distribution = "exact")))
