# chmod: octal and symbolic modes, seen through ls -l's mode column.
: > f
mkdir d
m() { ls -ld "$1" | cut -c1-10; }
chmod 755 f; m f
chmod 0600 f; m f
chmod u+x,go+r f; m f
chmod go-w,a+r f; m f
chmod a=r f; m f
chmod u=rwx,g=rx,o= f; m f
chmod g=u f; m f
chmod 4755 f; m f
chmod u-s,g+s f; m f
chmod 1777 d; m d
chmod o-t d; m d
chmod 644 f; chmod a+X f; m f
chmod u+x f; chmod a+X f; m f
chmod 600 d; chmod a+X d; m d
chmod =rw f; m f
chmod 755 f d
[ -x f ] && echo exec
chmod -x f
[ -x f ] || echo not exec
chmod u+x-w,o-r f; m f
echo status $?
