"""Planning a study: sample size and power."""
