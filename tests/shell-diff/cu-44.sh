mkdir d e
echo x > d/f
echo y > top
ls d e top
ls -d d e
ls -R d
ls nofile; echo rc=$?
ls d nofile; echo rc=$?
