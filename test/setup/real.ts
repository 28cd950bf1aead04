process.env.TEST_BACKEND = 'real';
