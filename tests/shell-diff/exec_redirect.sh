exec > out.txt
echo to file
echo also
exec >/dev/null
cat out.txt >&2
