# The script's stdin: read takes one line, the next command the rest.
read -r first
echo "first: $first"
IFS= read -r second
echo "second: [$second]"
read -r -n 3 three
echo "three chars: $three"
cat
echo "after cat:"
read -r more || echo "read at EOF: $?"
