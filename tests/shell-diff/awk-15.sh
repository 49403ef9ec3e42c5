# awk: string versus number comparisons
echo '10 9 abc 10.0' | awk '{print ($1 > $2), ($1 == $4), ($3 > $1), ("10" > "9")}'
