# awk: match sets RSTART and RLENGTH
echo 'inet 10.0.0.1/24 brd' | awk '{if (match($0, /[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+/)) print substr($0, RSTART, RLENGTH), RSTART, RLENGTH}'
