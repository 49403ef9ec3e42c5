a=(apple banana cherry)
echo ${a[@]^^}
echo ${a[@]/a/A}
echo ${a[@]:1}
echo ${a[@]:1:1}
