p=/usr/local/bin/tool.tar.gz
echo ${p#*/} ${p##*/} ${p%.*} ${p%%.*}
echo ${p#/usr} ${p%gz}
f=file.txt; echo ${f%.txt}.md
