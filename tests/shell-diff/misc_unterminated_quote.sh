echo 'abc
echo def
