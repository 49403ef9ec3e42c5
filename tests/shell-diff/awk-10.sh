# awk: assigning a field rebuilds $0 with OFS
echo 'a b c' | awk -v OFS=- '{$2 = "X"; print; print NF}'
