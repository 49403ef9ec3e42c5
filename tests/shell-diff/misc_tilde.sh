HOME=/home/test
echo ~ ~/x "~" x~
