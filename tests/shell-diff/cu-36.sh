mkdir d
echo x | tee d; echo rc=$?
echo y | tee nodir/f; echo rc=$?
