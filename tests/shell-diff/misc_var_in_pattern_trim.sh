ext=.txt; f=name.txt
echo ${f%$ext}
echo ${f%"$ext"}
