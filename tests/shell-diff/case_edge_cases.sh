case "a.b" in *.*) echo dot;; esac; case x in [!a-m]) echo nm;; esac
case A in [[:upper:]]*) echo up;; esac
case '' in '') echo empty;; *) echo other;; esac
