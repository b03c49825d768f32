// The log anonymizer lands here (issue 6).
