cd /
pwd
echo $PWD
