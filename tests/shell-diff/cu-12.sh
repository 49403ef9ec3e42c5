{ echo 10; echo 9; echo -3; echo 2.5; echo abc; echo; echo 007; } > n
sort -n n
sort -rn n
sort n
