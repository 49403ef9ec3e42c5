mkdir d
echo x > d/f1
echo y > d/f2
mkdir d/sub
ls d
ls -1 d
ls -a d
ls -A d
ls -r d
