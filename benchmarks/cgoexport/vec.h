// struct vec is shared by the C loops and the //export'ed Go functions.
struct vec { double x, y; };
