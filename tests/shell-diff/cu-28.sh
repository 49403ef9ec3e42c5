echo 'Hello World' | tr a-z A-Z
echo 'Hello World' | tr '[:upper:]' '[:lower:]'
echo 'Hello World' | tr -d lo
echo 'a   b    c' | tr -s ' '
echo 'h3ll0 w0rld' | tr -cd 'a-z\n'
echo 'a,b,c' | tr , '\n'
