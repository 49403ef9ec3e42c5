# chmod -v and -c report each file as coreutils 9.1 does.
: > f
chmod 644 f
chmod -v 755 f
chmod -v 755 f
chmod -c 644 f
chmod -c 644 f
chmod -v u+s,+t f
chmod --verbose=x f
chmod -vc 600 f
chmod -cv 640 f
chmod -v 644 f nosuch
echo "status $?"
mkdir -p d/e
: > d/e/g
chmod -R 700 d
ls -ld d d/e d/e/g | cut -c1-10
chmod -Rv 755 d/e
chmod --reference=f d/e/g; ls -l d/e/g | cut -c1-10
chmod -v --reference=d d/e/g
