read -d , x <<< "a,b,c"; echo "$x $?"
read -n 2 y <<< "hello"; echo "$y"
