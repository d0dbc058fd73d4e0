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
