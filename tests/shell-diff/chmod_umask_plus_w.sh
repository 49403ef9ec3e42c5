# chmod without a who applies the umask (022): +w adds only u+w.
umask
: > f
chmod 444 f
chmod +w f; ls -l f | cut -c1-10
chmod 777 f
chmod -w f; echo "status $?"; ls -l f | cut -c1-10
chmod 666 f
chmod a-w f; echo "status $?"; ls -l f | cut -c1-10
chmod 600 f
chmod +rx f; ls -l f | cut -c1-10
chmod =w f; ls -l f | cut -c1-10
