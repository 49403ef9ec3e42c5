t=$(mktemp -p . foo.XXXXXX)
echo "$t" | cut -c1-6
ls | grep -c foo
d=$(mktemp -d -p . dir.XXX)
ls | grep -c dir
mktemp fooXX; echo rc=$?
