set -u
echo "$#"
echo $1
