[ \( a = a \) ]; echo $?
[ \( a = b \) -o \( c = c \) ]; echo $?
[ ! \( a = b \) ]; echo $?
[ \( a = a ]; echo $?
[ \( x \) ]; echo $?
