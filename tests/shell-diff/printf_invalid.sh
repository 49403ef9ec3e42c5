printf '%d\n' abc; echo $?
printf '%d\n' 12abc; echo $?
printf '%f\n' x; echo $?
printf '%z\n' 1; echo $?
