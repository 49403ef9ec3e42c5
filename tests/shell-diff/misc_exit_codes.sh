(exit 42); echo $?
(exit 256); echo $?
exit 300
