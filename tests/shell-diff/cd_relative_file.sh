mkdir_not_used=1
cd /tmp
cd - >/dev/null
echo ok > here.txt
cat here.txt
