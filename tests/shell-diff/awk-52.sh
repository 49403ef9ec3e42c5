# awk: longest match for sub with alternation
echo 'ab abc' | awk '{sub(/a|ab/, "X"); gsub(/b*/, "-"); print}'
