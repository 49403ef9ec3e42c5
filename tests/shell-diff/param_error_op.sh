x=1
echo ${x:?ok}
echo ${y:?is missing}
echo never
