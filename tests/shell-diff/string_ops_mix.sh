path="/etc/network/interfaces.d/eth0.cfg"
file=${path##*/}
echo "dir=${path%/*} file=$file base=${file%.*} ext=${file##*.}"
echo "upper=${file^^}"
echo "len=${#path}"
