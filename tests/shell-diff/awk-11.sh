# awk: NF assignment truncates and extends
echo 'a b c d' | awk '{NF = 2; print; NF = 4; print $0 "|"}'
