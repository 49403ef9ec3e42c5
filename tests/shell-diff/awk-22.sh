# awk: gsub and sub with & and \&
echo 'foo bar foo' | awk '{n = gsub(/foo/, "[&]"); print n, $0; sub(/bar/, "\\&"); print}'
