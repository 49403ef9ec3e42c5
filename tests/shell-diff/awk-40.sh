# awk: regex field separator
echo 'a:b,c;d' | awk -F '[:,;]' '{print $2, $4, NF}'
