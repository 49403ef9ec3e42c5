mkdir d
echo x > d/a
mkdir d/b
ls -F d
ls -p d
ls --bogus; echo rc=$?
ls --al d; echo rc=$?
