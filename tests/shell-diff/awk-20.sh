# awk: index, length, toupper, tolower
echo 'Hello World' | awk '{print index($0, "World"), length($1), length, toupper($1), tolower($2)}'
