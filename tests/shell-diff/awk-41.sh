# awk: tab field separator keeps empty fields
echo 'a		b' | awk -F '\t' '{print NF, "[" $2 "]", $3}'
