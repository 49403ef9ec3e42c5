printf '%s\n' abab abba xyzzy | grep '\(ab\)\1'
printf '%s\n' abab abba xyzzy | grep -E '(.)\1'
