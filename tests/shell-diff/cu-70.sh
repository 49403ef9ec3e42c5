echo hello > f
md5sum f
sha1sum f
sha256sum f
echo hello | md5sum
md5sum f > sums
md5sum -c sums; echo rc=$?
echo bye > f
md5sum -c sums; echo rc=$?
md5sum nofile; echo rc=$?
