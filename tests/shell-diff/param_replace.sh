s="hello world hello"
echo ${s/hello/bye}
echo ${s//hello/bye}
echo ${s/#hello/X} ${s/%hello/Y}
echo ${s//o/}
echo ${s/xyz/nothing}
p=a.b.c; echo ${p//./_}
