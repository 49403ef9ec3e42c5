true; echo $?
false; echo $?
! false; echo $?
