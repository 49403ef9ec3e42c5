cd /
pwd
cd /tmp
pwd
cd - 
